/**
 * JSON for all of runctl, one writer and one reader: jackson-core's streaming generator and parser
 * from one factory, for the journal, the state, {@code --output json}, metrics and what targets
 * exchange with their scripts. No object mapper: nothing is encoded by reflection over runctl's
 * types, and a command never pays for building one.
 */
package dev.runctl.engine.json;
