package dev.graphgate.server.sync;

import java.util.Objects;

/**
 * One delta stream of a {@link MailboxSync}: the messages of one mail folder of one mailbox, or one mailbox's calendar
 * view. {@code key} names it among the sync's streams ({@code {mailbox}/{folder}}, {@code {mailbox}}) and prefixes the
 * ids of its records ({@code key + "/" + Graph's id}), so a record belongs to exactly one stream and a full round of
 * one stream deletes only that stream's records it did not see.
 *
 * @param mailbox the mailbox as the connection names it (a user id, or what the {@code mailboxes} metadata lists)
 * @param initialLink the first request of a full round of the stream
 */
public record SyncStream(String key, String mailbox, String folder, String initialLink) {
  public SyncStream {
    Objects.requireNonNull(key);
    Objects.requireNonNull(mailbox);
    Objects.requireNonNull(initialLink);
  }

  /** The record id of the stream's Graph item {@code graphId}. */
  public String recordId(String graphId) {
    return key + "/" + graphId;
  }

  /** What every record id of this stream starts with. */
  public String recordPrefix() {
    return key + "/";
  }
}
