"""End-to-end tests against the real peer servers that .ci/services.sh starts."""
