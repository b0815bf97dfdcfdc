package dev.runctl.engine.spi;

/** One run's target as its provider would open it: the parsed settings and the run's context. */
public record TargetRun(TargetConfig config, TargetContext context) {}
