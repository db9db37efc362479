package io.crmconnect.hubspot.source;

/**
 * Identifies one unit of work a task runs: a CRM object, owners, pipelines or an association pair. Task configs carry
 * it in its {@link #encode() encoded} form ({@code object:<objectTypeId>:<name>}, {@code owners}, {@code pipelines},
 * {@code assoc:<from>:<to>}), which {@link #parse} reads back.
 */
sealed interface StreamId permits StreamId.CrmType, StreamId.Owners, StreamId.Pipelines, StreamId.AssociationPair {
    StreamId OWNERS = new Owners();
    StreamId PIPELINES = new Pipelines();

    /** The form stored in the task config. */
    String encode();

    /** A standard or custom CRM object: {@code objectType} is what the API takes, {@code name} names the topic. */
    record CrmType(String objectType, String name) implements StreamId {
        @Override
        public String encode() {
            return "object:" + objectType + ":" + name;
        }

        @Override
        public String toString() {
            return encode();
        }
    }

    /** Owners (users of the portal). */
    record Owners() implements StreamId {
        @Override
        public String encode() {
            return "owners";
        }

        @Override
        public String toString() {
            return encode();
        }
    }

    /** Pipelines and their stages. */
    record Pipelines() implements StreamId {
        @Override
        public String encode() {
            return "pipelines";
        }

        @Override
        public String toString() {
            return encode();
        }
    }

    /** The labelled associations from one object to another. */
    record AssociationPair(String from, String to) implements StreamId {
        @Override
        public String encode() {
            return "assoc:" + from + ":" + to;
        }

        @Override
        public String toString() {
            return encode();
        }
    }

    /** Reads an {@link #encode() encoded} id; throws IllegalArgumentException naming what is wrong. */
    static StreamId parse(String encoded) {
        String s = encoded.trim();
        if (s.equals("owners")) {
            return OWNERS;
        }
        if (s.equals("pipelines")) {
            return PIPELINES;
        }
        String[] p = s.split(":", -1);
        if (p.length == 3 && !p[1].isEmpty() && !p[2].isEmpty()) {
            if (p[0].equals("object")) {
                return new CrmType(p[1], p[2]);
            }
            if (p[0].equals("assoc")) {
                return new AssociationPair(p[1], p[2]);
            }
        }
        throw new IllegalArgumentException("unknown stream '" + encoded + "': expected object:<type>:<name>, owners, "
                + "pipelines or assoc:<from>:<to>");
    }
}
