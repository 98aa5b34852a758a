package dev.latchkey.engine.lease;

import dev.latchkey.engine.framework.LeasedSecret;

import java.util.Map;

/**
 * A lease on a secret an engine handed out. Times are Unix epoch milliseconds; 0 means "none".
 *
 * @param id             e.g. {@code ssh/creds/web/qW3kz0ZsH1f9aVd2LmX8TnR4}
 * @param mountUuid      the mount that issued it (its engine revokes it)
 * @param secretType     the engine's secret type, e.g. {@code secret_otp_type}
 * @param internalData   what the engine needs to revoke it; never shown to clients
 * @param tokenAccessor  accessor of the token that created it ("" if none); revoked with that token
 * @param issueTime      when it was issued
 * @param expireTime     when it expires
 * @param lastRenewal    when it was last renewed, 0 if never
 * @param renewable      whether it may be renewed
 * @param revokeAttempts failed revocation attempts so far
 * @param lastError      the last revocation failure, "" if none
 * @param dueTime        when the reaper should next act on it: the expiry, or the next retry
 */
public record Lease(String id, String mountUuid, String secretType, Map<String, Object> internalData,
                    String tokenAccessor, long issueTime, long expireTime, long lastRenewal, boolean renewable,
                    int revokeAttempts, String lastError, long dueTime) {

    public Lease {
        internalData = Map.copyOf(internalData);
    }

    /** The secret this lease holds, as its engine gets it back to renew or revoke it. */
    public LeasedSecret secret() {
        return new LeasedSecret(secretType, internalData);
    }

    public boolean isExpiredAt(long nowMillis) {
        return expireTime > 0 && expireTime <= nowMillis;
    }

    public Lease renewed(long nowMillis, long newExpireTime) {
        return new Lease(id, mountUuid, secretType, internalData, tokenAccessor, issueTime, newExpireTime,
                nowMillis, renewable, revokeAttempts, lastError, newExpireTime);
    }

    /** The lease as it stands once revocation was asked for: expired now, if it was not already. */
    public Lease expiredBy(long nowMillis) {
        long expire = expireTime > 0 && expireTime <= nowMillis ? expireTime : nowMillis;
        return new Lease(id, mountUuid, secretType, internalData, tokenAccessor, issueTime, expire, lastRenewal,
                renewable, revokeAttempts, lastError, dueTime);
    }

    public Lease failedRevocation(String error, long retryAt) {
        return new Lease(id, mountUuid, secretType, internalData, tokenAccessor, issueTime, expireTime,
                lastRenewal, renewable, revokeAttempts + 1, error, retryAt);
    }
}
