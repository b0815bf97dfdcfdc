/**
 * {@code provider: ssh}: any machine the OpenSSH client reaches, with the user's own ssh set-up.
 * One master connection per run ({@link dev.runctl.targets.ssh.SshMaster}); every script for the
 * host is a fixed body from {@code remote/} after values quoted by {@link
 * dev.runctl.targets.ssh.Quote}, sent on ssh's stdin; {@code SshSettings} declares the settings.
 */
package dev.runctl.targets.ssh;
