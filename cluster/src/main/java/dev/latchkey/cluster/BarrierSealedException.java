package dev.latchkey.cluster;

/**
 * The barrier is locked: the node is sealed (or not yet unsealed) and holds no key to seal or open
 * anything with. Callers answer {@code 503 Vault is sealed}.
 */
public final class BarrierSealedException extends BarrierException {
    public BarrierSealedException() {
        super("Vault is sealed");
    }
}
