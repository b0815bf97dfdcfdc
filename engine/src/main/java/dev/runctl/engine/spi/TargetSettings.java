package dev.runctl.engine.spi;

/**
 * Where the steps run. {@code settings} is the whole {@code target:} mapping; the provider named by
 * {@code provider} interprets it.
 */
public record TargetSettings(String provider, ConfigNode.Mapping settings, Position position) {}
