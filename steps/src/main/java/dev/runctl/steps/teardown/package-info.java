/** {@code uses: teardown}: artifacts collected, then the machine given back. */
package dev.runctl.steps.teardown;
