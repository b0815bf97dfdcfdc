/** {@code uses: verify}: files that must exist and metrics checked against expectations. */
package dev.runctl.steps.verify;
