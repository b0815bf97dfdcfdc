/**
 * Durable run state: run folders, the fsync'd JSON-lines journal, snapshots written atomically, one
 * file lock per run, and the replay of a journal into a run's state.
 */
package dev.runctl.engine.state;
