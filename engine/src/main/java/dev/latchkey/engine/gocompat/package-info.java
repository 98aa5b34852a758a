/**
 * Go's value semantics where Vault's wire behaviour depends on them: {@code strconv}'s integer and
 * boolean parsing and quoting, {@code fmt}'s {@code %v} and {@code %q}, {@code time.ParseDuration}
 * and Vault's duration fields. Each function exists once, here; the request framework and the HTTP
 * layer call it. Nothing in this package knows about requests or engines.
 */
package dev.latchkey.engine.gocompat;

