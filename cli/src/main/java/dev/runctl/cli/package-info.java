/**
 * The command line and the composition root: picocli commands, text and JSON-lines output ({@code
 * Output}), the one mapping of failures to exit codes ({@code ErrorHandler}), and {@code
 * Components}, which registers the step types and target providers by hand. The only package that
 * writes to stdout, and {@code Main} the only class that exits.
 */
package dev.runctl.cli;
