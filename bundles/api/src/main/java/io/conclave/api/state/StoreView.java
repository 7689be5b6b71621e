package io.conclave.api.state;

import io.conclave.api.kv.KvEntry;
import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * An immutable point-in-time view of the state store. Every read records what it looked at, so a
 * blocking query run against this view knows what to watch without being told.
 */
@ProviderType
public interface StoreView {

    /** The index of the last write visible in this view. */
    long index();

    /** A key; the index is its ModifyIndex, or the KV table index when it is absent. */
    Indexed<Optional<KvEntry>> kvGet(String key);

    /** Every entry whose key starts with {@code prefix}, in key order. */
    Indexed<List<KvEntry>> kvList(String prefix);

    /**
     * The keys under {@code prefix}; with a non-empty {@code separator}, keys are cut after the
     * first separator following the prefix and de-duplicated (Consul's "folders").
     */
    Indexed<List<String>> kvKeys(String prefix, String separator);
}
