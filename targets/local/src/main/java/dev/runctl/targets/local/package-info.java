/**
 * {@code provider: local}: this machine, processes in their own process group, detached training
 * processes, workspace sync.
 */
package dev.runctl.targets.local;
