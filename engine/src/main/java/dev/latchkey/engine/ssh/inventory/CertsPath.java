package dev.latchkey.engine.ssh.inventory;

import dev.latchkey.engine.framework.EngineException;
import dev.latchkey.engine.framework.FieldType;
import dev.latchkey.engine.framework.Fields;
import dev.latchkey.engine.framework.Operation;
import dev.latchkey.engine.framework.PathSpec;
import dev.latchkey.engine.framework.Request;
import dev.latchkey.engine.framework.Response;
import dev.latchkey.engine.gocompat.Durations;
import dev.latchkey.engine.ssh.ca.CertificateNotes;
import dev.latchkey.engine.ssh.ca.IssuerStore;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * The certificate inventory, a Latchkey addition on paths Vault's SSH engine does not have:
 * {@code LIST certs} (paged and filtered), {@code cert/:serial} (read, change the notes, delete the
 * record), {@code config/inventory} and {@code tidy/certs}. The record shape follows ngrok's SSH
 * certificate resources (the certificate's facts, then a {@code description} and {@code metadata}
 * only those two can change), with Vault's names for what Vault already names.
 */
public final class CertsPath {
    /** The page {@code LIST certs} gives when no {@code limit} is asked for. */
    static final int DEFAULT_LIMIT = 1000;
    /** The largest page. */
    static final int MAX_LIMIT = 10_000;
    /**
     * How many records one filtered listing reads at most: a filter few records pass answers a
     * short page with {@code next_after} rather than reading a million records in one request.
     */
    static final int SCAN_BUDGET = 100_000;
    /** How many records one tidy request removes at most; a larger backlog takes several. */
    static final int TIDY_MAX = 100_000;

    private final Inventory inventory;
    private final Revocations revocations;
    private final IssuerStore issuers;
    private final LongSupplier clockMillis;

    public CertsPath(Inventory inventory, Revocations revocations, IssuerStore issuers, LongSupplier clockMillis) {
        this.inventory = inventory;
        this.revocations = revocations;
        this.issuers = issuers;
        this.clockMillis = clockMillis;
    }

    public List<PathSpec> specs() {
        return List.of(
                PathSpec.path("certs/?")
                        .field("after", FieldType.STRING).field("limit", FieldType.INT)
                        .field("principal", FieldType.STRING).field("role", FieldType.STRING)
                        .field("issuer_ref", FieldType.STRING).field("key_fingerprint", FieldType.STRING)
                        .field("key_id", FieldType.STRING).field("state", FieldType.STRING)
                        .field("valid_at", FieldType.STRING)
                        .on(Operation.LIST, this::list),
                PathSpec.path("cert/(?<serial>[^/]+)").capture("serial", "serial")
                        .field("description", FieldType.STRING).field("metadata", FieldType.STRING)
                        .on(Operation.READ, this::read)
                        .on(Operation.UPDATE, this::annotate)
                        .on(Operation.PATCH, this::annotate)
                        .on(Operation.DELETE, this::delete),
                PathSpec.path("config/inventory")
                        .field("store_certificates", FieldType.BOOL).field("retention", FieldType.DURATION)
                        .on(Operation.READ, this::readConfig)
                        .on(Operation.UPDATE, this::writeConfig),
                PathSpec.path("tidy/certs").on(Operation.UPDATE, this::tidy));
    }

    private long now() {
        return clockMillis.getAsLong() / 1000;
    }

    /** valid, expired or revoked, as of now; revoked wins. */
    String state(CertRecord r, Revocations.Snapshot revoked, long now) {
        if (r.revokedAt() != 0 || revoked.keyIdRevoked(r.issuerId(), r.keyId()) || revoked.keyFingerprints().contains(r.keyFingerprint())) {
            return "revoked";
        }
        return r.expiredAt(now) ? "expired" : "valid";
    }

    private Response list(Request request, Fields f) {
        long limit = f.has("limit") ? f.integer("limit") : DEFAULT_LIMIT;
        if (limit < 1 || limit > MAX_LIMIT) {
            throw EngineException.user("limit must be between 1 and " + MAX_LIMIT);
        }
        String after = f.string("after").isEmpty() ? "" : Serials.key(Serials.parse(f.string("after")));
        long now = now();
        Revocations.Snapshot revoked = revocations.snapshot();
        Predicate<CertRecord> filter = filter(f, revoked, now);
        Inventory.Page page = inventory.list(after, (int) limit, SCAN_BUDGET, filter);
        if (page.records().isEmpty() && page.nextAfter().isEmpty()) {
            return Response.empty();
        }
        List<String> keys = new ArrayList<>();
        Map<String, Object> info = new LinkedHashMap<>();
        for (CertRecord r : page.records()) {
            keys.add(Serials.key(r.serial()));
            info.put(Serials.key(r.serial()), r.summary(state(r, revoked, now)));
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("keys", keys);
        data.put("key_info", info);
        if (!page.nextAfter().isEmpty()) {
            data.put("next_after", page.nextAfter());
        }
        return Response.of(data);
    }

    /** The filters asked for, all of which a record must pass; null when none is asked for. */
    private Predicate<CertRecord> filter(Fields f, Revocations.Snapshot revoked, long now) {
        List<Predicate<CertRecord>> all = new ArrayList<>();
        if (!f.string("principal").isEmpty()) {
            String p = f.string("principal");
            all.add(r -> r.principals().contains(p));
        }
        if (!f.string("role").isEmpty()) {
            String role = f.string("role");
            all.add(r -> r.role().equals(role));
        }
        if (!f.string("key_id").isEmpty()) {
            String id = f.string("key_id");
            all.add(r -> r.keyId().equals(id));
        }
        if (!f.string("issuer_ref").isEmpty()) {
            String id = issuerId(IssuerStore.normalise(f.string("issuer_ref")));
            all.add(r -> r.issuerId().equals(id));
        }
        if (!f.string("key_fingerprint").isEmpty()) {
            String fp = f.string("key_fingerprint").strip();
            String wanted = fp.startsWith("SHA256:") ? fp : "SHA256:" + fp;
            all.add(r -> r.keyFingerprint().equals(wanted));
        }
        if (!f.string("state").isEmpty()) {
            String state = f.string("state").toLowerCase(Locale.ROOT);
            if (!List.of("valid", "expired", "revoked").contains(state)) {
                throw EngineException.user("state must be one of valid, expired or revoked, not \"" + f.string("state") + "\"");
            }
            all.add(r -> state(r, revoked, now).equals(state));
        }
        if (!f.string("valid_at").isEmpty()) {
            long t = instant("valid_at", f.string("valid_at"));
            all.add(r -> Long.compareUnsigned(r.validAfter(), t) <= 0
                    && (r.validBefore() == -1 || Long.compareUnsigned(t, r.validBefore()) < 0));
        }
        return all.isEmpty() ? null : all.stream().reduce(Predicate::and).orElseThrow();
    }

    /**
     * An issuer reference as a filter: one the mount resolves, or the 36-character ID of an
     * issuer deleted since (its certificates stay listed).
     */
    private String issuerId(String ref) {
        try {
            return issuers.snapshot().resolve(ref).id();
        } catch (EngineException unknown) {
            if (ref.length() == 36) {
                return ref;
            }
            throw unknown;
        }
    }

    /** A time from a request: RFC 3339, or seconds since the epoch. */
    static long instant(String field, String text) {
        String t = text.strip();
        if (t.chars().allMatch(Character::isDigit) && !t.isEmpty() && t.length() <= 18) {
            return Long.parseLong(t);
        }
        try {
            return Instant.parse(t).getEpochSecond();
        } catch (DateTimeParseException e) {
            throw EngineException.user(field + " must be an RFC 3339 time (2026-01-02T15:04:05Z) or seconds since the epoch, not \""
                    + (t.length() > 40 ? t.substring(0, 40) + "…" : t) + "\"");
        }
    }

    private Response read(Request request, Fields f) {
        long serial = Serials.parse(f.string("serial"));
        return inventory.get(serial)
                .map(r -> Response.of(r.describe(state(r, revocations.snapshot(), now()))))
                .orElse(Response.empty());
    }

    /**
     * Changes only {@code description} and {@code metadata}; a field left out stays, an empty one
     * clears it. Every other field is what the certificate says and cannot change.
     */
    private Response annotate(Request request, Fields f) {
        long serial = Serials.parse(f.string("serial"));
        for (String field : request.rawFields().keySet()) {
            if (!field.equals("description") && !field.equals("metadata") && !field.equals("serial")) {
                throw EngineException.user("only description and metadata of a certificate record can change, not " + field);
            }
        }
        String description = f.has("description") ? CertificateNotes.description(f.string("description")) : null;
        String metadata = f.has("metadata") ? CertificateNotes.metadata(f.string("metadata")) : null;
        CertRecord changed = inventory.update(serial, r -> r.annotated(description == null ? r.description() : description,
                        metadata == null ? r.metadata() : metadata))
                .orElseThrow(() -> EngineException.absent("no certificate with serial " + Serials.vault(serial) + " is recorded"));
        return Response.of(changed.describe(state(changed, revocations.snapshot(), now())));
    }

    /** Removes the record; a revoked certificate stays revoked (the revocation is kept apart). */
    private Response delete(Request request, Fields f) {
        long serial = Serials.parse(f.string("serial"));
        inventory.get(serial).ifPresent(inventory::delete);
        return Response.empty();
    }

    private Response readConfig(Request request, Fields f) {
        Inventory.Settings s = inventory.settings();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("store_certificates", s.storeCertificates());
        data.put("retention", s.retentionSeconds());
        return Response.of(data);
    }

    private Response writeConfig(Request request, Fields f) {
        Inventory.Settings old = inventory.settings();
        long retention = f.has("retention") ? f.seconds("retention") : old.retentionSeconds();
        inventory.saveSettings(new Inventory.Settings(f.bool("store_certificates", old.storeCertificates()), retention));
        return readConfig(request, f);
    }

    /** Removes records past their retention now, and revocations of certificates that have expired. */
    private Response tidy(Request request, Fields f) {
        long now = now();
        int records = inventory.tidy(now, TIDY_MAX);
        int revoked = revocations.dropExpired(now);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("records_removed", records);
        data.put("revocations_removed", revoked);
        data.put("retention", Durations.format(inventory.settings().retentionSeconds()));
        return Response.of(data);
    }
}
