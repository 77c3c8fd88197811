"""Dutch geography: gemeenten, provincies, arbeidsmarktregio's, COROP, postcodes, woonplaatsen."""
