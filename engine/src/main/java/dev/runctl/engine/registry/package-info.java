/** The step types and target providers one runctl knows ({@code Registry}), composed by the CLI. */
package dev.runctl.engine.registry;
