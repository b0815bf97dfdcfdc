/** {@code uses: run}: a command (an argv list or a shell script) on the machine. */
package dev.runctl.steps.run;
