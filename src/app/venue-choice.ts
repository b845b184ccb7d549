// The venues a command can be pointed at, apart from the feeds that serve them: the CLI's flag
// parsers read this without loading every venue's feed.

export const VENUE_CHOICES = ['deribit', 'bybit', 'sim'] as const;
export type VenueChoice = (typeof VENUE_CHOICES)[number];
