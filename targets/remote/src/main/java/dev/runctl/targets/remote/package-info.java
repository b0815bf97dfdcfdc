/**
 * What the targets that run processes on a remote POSIX host through a shell (ssh, aws) share:
 * script bodies for the host ({@link dev.runctl.targets.remote.RemoteScripts}). No target depends
 * on another; both depend on this.
 */
package dev.runctl.targets.remote;
