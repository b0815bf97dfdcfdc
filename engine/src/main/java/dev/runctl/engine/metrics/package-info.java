/**
 * The metrics a training reports through {@code $RUNCTL_METRICS}, as the run folder keeps them
 * ({@code metrics/<step>.jsonl}): read with one point per x, the last reported winning.
 */
package dev.runctl.engine.metrics;
