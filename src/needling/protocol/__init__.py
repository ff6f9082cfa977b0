"""Treatment series as readable steps ("Roll 1.5 mm, 15 passes", "Wait 4 weeks")."""
