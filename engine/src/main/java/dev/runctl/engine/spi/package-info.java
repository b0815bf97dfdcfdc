/**
 * The extension points that step types and targets implement ({@code StepType}, {@code
 * TargetProvider}, {@code Target}, {@code Machine}), what they receive (position-carrying {@code
 * ConfigNode} settings, contexts) and report with ({@code Diagnostics}, {@code StepException}), and
 * the settings contract: {@code SettingsSchema} to declare them, {@code SettingsReader} and {@code
 * Durations} to read them. Speaks runctl's own types only and depends on no other engine package
 * but the root.
 */
package dev.runctl.engine.spi;
