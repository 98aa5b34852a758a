package dev.latchkey.api.identity;

import dev.latchkey.api.acl.Acl;
import dev.latchkey.api.acl.PolicyStore;
import dev.latchkey.api.token.TokenEntry;
import dev.latchkey.engine.framework.Caller;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * What a token may do and who it stands for. A token from a login belongs to an entity: its ACL
 * is its own policies plus the entity's and its groups' (read again on every request, so an
 * identity change applies at once), and templates draw on the entity. A token whose entity was
 * deleted or disabled may do nothing. A token made without a login has its own policies and stands
 * for itself.
 */
public final class TokenAcls {
    private final PolicyStore policies;
    private final IdentityStore identity;

    public TokenAcls(PolicyStore policies, IdentityStore identity) {
        this.policies = policies;
        this.identity = identity;
    }

    /** A token's ACL and identity, resolved for one request. */
    /**
     * @param identityPolicies the policies the token's entity and its groups add (none for a token
     *                         without an entity, or a root token)
     */
    public record Grant(Acl acl, Caller caller, List<String> identityPolicies) {
        public Grant {
            identityPolicies = List.copyOf(identityPolicies);
        }
    }

    /** The token's grant; empty when its entity is gone or disabled. */
    public Optional<Grant> grant(TokenEntry token) {
        if (token.entityId().isEmpty()) {
            return Optional.of(new Grant(policies.acl(token.policies(), token.caller()), token.caller(), List.of()));
        }
        Optional<Entity> entity = identity.entity(token.entityId());
        if (entity.isEmpty() || entity.get().disabled()) {
            return Optional.empty();
        }
        Caller caller = new Caller(token.displayName(), token.accessor(), token.meta(), identity.view(entity.get()));
        List<String> names = token.policies();
        List<String> fromIdentity = names.contains("root") ? List.of() : identity.identityPolicies(entity.get());
        if (!fromIdentity.isEmpty()) {
            TreeSet<String> all = new TreeSet<>(names);
            all.addAll(fromIdentity);
            names = new ArrayList<>(all);
        }
        return Optional.of(new Grant(policies.acl(names, caller), caller, fromIdentity));
    }

    /** The token's ACL; one that allows nothing when its entity is gone or disabled. */
    public Acl acl(TokenEntry token) {
        return grant(token).map(Grant::acl).orElse(Acl.none());
    }

    /** Who the token stands for, in templates; the token alone when its entity is gone. */
    public Caller caller(TokenEntry token) {
        return grant(token).map(Grant::caller).orElse(token.caller());
    }
}
