#!/bin/sh
# A node that never finds its peers: refnode with the peers of its config
# removed (called by the local deployer as `NODE --config FILE`). Used by
# the readiness-timeout test.
cfg="$2"
sed -i -e '/^peers:$/,/^chain:$/{/^  - /d;}' -e 's/^peers:$/peers: []/' "$cfg"
exec "$LB_BUILD_DIR/refnode" --config "$cfg"
