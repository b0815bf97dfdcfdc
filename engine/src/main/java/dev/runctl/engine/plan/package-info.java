/**
 * A bound job spec to an immutable {@code Plan}: the target and each step's settings configured by
 * their owners, cycles, expressions, required files and the budget checked, and the steps in a
 * deterministic topological order with waves.
 */
package dev.runctl.engine.plan;
