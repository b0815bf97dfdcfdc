/**
 * Reading and checking a job spec: the text with guards, YAML composed with positions, the JSON
 * Schema composed from the engine's core and the registered settings, and the binding into records
 * ({@code JobSpec}, {@code StepSpec}) with defaults applied. Names no step type, no provider and no
 * key of theirs.
 */
package dev.runctl.engine.spec;
