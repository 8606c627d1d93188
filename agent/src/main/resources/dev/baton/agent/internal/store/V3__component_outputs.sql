-- What a provider reports about a component beyond its state (the firmware image verified on a device, say), kept
-- so that an agent restart reports it again without redoing the work.
ALTER TABLE applied ADD COLUMN outputs TEXT NOT NULL DEFAULT '{}';
