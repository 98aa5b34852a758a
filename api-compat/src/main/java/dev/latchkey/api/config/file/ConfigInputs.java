package dev.latchkey.api.config.file;

import java.util.Map;

/**
 * What besides the files decides the configuration: the process environment (Vault reads
 * {@code VAULT_API_ADDR}, {@code VAULT_REDIRECT_ADDR}, {@code VAULT_ADVERTISE_ADDR},
 * {@code VAULT_LOG_LEVEL}, {@code VAULT_LOG_FORMAT}, {@code VAULT_PG_CONNECTION_URL}) and the
 * {@code -log-level} / {@code -log-format} flags, which win over both. Passed in as values so that
 * tests need no real environment.
 *
 * @param env            usually {@code System.getenv()}
 * @param logLevelFlag   {@code -log-level}, null when not given
 * @param logFormatFlag  {@code -log-format}, null when not given
 */
public record ConfigInputs(Map<String, String> env, String logLevelFlag, String logFormatFlag) {
    public ConfigInputs {
        env = Map.copyOf(env);
    }

    public static ConfigInputs none() {
        return new ConfigInputs(Map.of(), null, null);
    }

    public static ConfigInputs of(Map<String, String> env) {
        return new ConfigInputs(env, null, null);
    }
}
