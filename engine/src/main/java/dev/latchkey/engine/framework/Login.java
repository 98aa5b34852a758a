package dev.latchkey.engine.framework;

import java.util.List;
import java.util.Map;

/**
 * What an auth method's login found: who logged in (the alias name on this mount and its
 * metadata) and what token to give them. The core turns it into an entity and a token; the method
 * never makes tokens itself. Durations are in seconds, 0 for unset.
 *
 * @param displayName    the method's part of the token's display name ({@code alice}); may be ""
 * @param policies       as the method has them; the core trims, lower-cases, sorts and adds {@code default}
 * @param boundCidrs     addresses the token may be used from; empty for anywhere
 */
public record Login(String aliasName, Map<String, String> aliasMetadata, Map<String, String> tokenMetadata,
                    String displayName, List<String> policies, long ttl, long maxTtl, long explicitMaxTtl,
                    long period, boolean noDefaultPolicy, long numUses, List<String> boundCidrs) {
    public Login {
        aliasMetadata = Map.copyOf(aliasMetadata);
        tokenMetadata = Map.copyOf(tokenMetadata);
        policies = List.copyOf(policies);
        boundCidrs = List.copyOf(boundCidrs);
    }
}
