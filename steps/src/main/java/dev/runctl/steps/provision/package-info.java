/** {@code uses: provision}: the target makes the run's machine. */
package dev.runctl.steps.provision;
