package dev.latchkey.engine.ssh.ca;

import java.util.Map;

/**
 * What a {@code sign} or {@code issue} request asks for, after field conversion.
 *
 * @param validPrincipals null when the field was absent
 * @param certType        as sent, {@code user} when absent
 * @param ttlSeconds      requested TTL, or -1 when absent
 */
record CertificateRequest(String roleName, String validPrincipals, String certType, String keyId, long ttlSeconds,
                          Map<String, String> criticalOptions, Map<String, String> extensions) {
}
