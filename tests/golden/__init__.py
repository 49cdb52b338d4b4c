"""The recorded cases: lrcli's CSV against every golden file of the command-line families, and the seed."""
