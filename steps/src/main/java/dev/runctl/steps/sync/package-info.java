/**
 * {@code uses: sync}: the workdir copied to the machine, with ignore rules and a manifest cache.
 */
package dev.runctl.steps.sync;
