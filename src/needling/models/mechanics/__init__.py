"""Needling mechanics: channel maps, insertion depth, bleeding and pain. Equations only, SI units."""
