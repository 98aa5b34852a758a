package dev.latchkey.api.seal;

import java.util.List;

/**
 * What initialising hands out, once: the unseal key shares (none with an auto-unseal seal), the
 * recovery key shares (only with one), and the root token.
 */
public record InitResult(List<byte[]> keys, List<byte[]> recoveryKeys, String rootToken) {
    public InitResult {
        keys = List.copyOf(keys);
        recoveryKeys = List.copyOf(recoveryKeys);
    }
}
