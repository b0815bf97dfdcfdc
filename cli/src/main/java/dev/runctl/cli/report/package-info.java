/**
 * {@code runctl report}: a run as one self-contained HTML file, with a timeline of its attempts and
 * a chart per metric drawn as inline SVG.
 */
package dev.runctl.cli.report;
