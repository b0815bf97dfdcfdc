/** {@code uses: deps}: a Python virtual environment with the job's requirements on the machine. */
package dev.runctl.steps.deps;
