/**
 * Sweeps: the durable record of a sweep (its children, their run ids and combinations), written
 * before any child starts, and the mark each child's run folder carries. The children themselves
 * are ordinary runs.
 */
package dev.runctl.cli.sweep;
