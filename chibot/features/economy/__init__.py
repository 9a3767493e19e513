"""The chi economy: chat chi, profiles, leaderboards, daily rewards, transfers, admin grants."""
