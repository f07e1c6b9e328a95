"""Bounces and complaints that come back by mail: parse DSNs and ARF reports, read mailboxes."""
