package dev.latchkey.engine.framework;

import java.util.Map;

/**
 * A secret an engine handed out, as the core gives it back when its lease is renewed or revoked:
 * the secret's type and the internal data the engine attached when it issued it.
 *
 * @param type         the secret type the engine declared, e.g. {@code "secret_otp_type"}
 * @param internalData what the engine needs to undo the secret; never shown to clients
 */
public record LeasedSecret(String type, Map<String, Object> internalData) {
    public LeasedSecret {
        internalData = Map.copyOf(internalData);
    }
}
