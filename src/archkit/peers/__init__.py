"""What archkit knows about the peer tools its users already run (checkov, Prowler): which of their checks
archkit's rules correspond to, which ones do not apply to what archkit generates and why, and how to read a
peer's report against archkit's own. No heavy imports (archkit.spec at most): the peers themselves run in
venvs of their own (scripts/setup-peers.sh), never inside archkit's environment."""
