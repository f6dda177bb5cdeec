#!/usr/bin/env bash
# Compiles the contracts offline with solcjs (npm package `solc`, pinned in package.json) and copies
# the ABI/BIN artifacts where the Java build reads them. Run `npm ci` here first.
set -euo pipefail
cd "$(dirname "$0")"
SOLCJS=./node_modules/.bin/solcjs
if [ ! -x "$SOLCJS" ]; then
  echo "build.sh: $SOLCJS is missing; run 'npm ci' in contracts/ first" >&2
  exit 1
fi
rm -rf build
mkdir -p build
"$SOLCJS" --optimize --bin --abi --base-path . -o build src/OpenShardEscrow.sol src/MockUsdc.sol
# solcjs names outputs <path>_<Contract>.{abi,bin}; keep only the two contracts under short names.
for c in OpenShardEscrow MockUsdc; do
  mv "build/src_${c}_sol_${c}.abi" "build/${c}.abi"
  mv "build/src_${c}_sol_${c}.bin" "build/${c}.bin"
done
rm -f build/src_*
"$SOLCJS" --version > build/SOLC_VERSION
dest=../payments/src/main/resources/org/openshard/payments/contracts
mkdir -p "$dest"
cp build/OpenShardEscrow.abi build/OpenShardEscrow.bin build/MockUsdc.abi build/MockUsdc.bin build/SOLC_VERSION "$dest"/
echo "build.sh: compiled with solc $(cat build/SOLC_VERSION) -> build/ and $dest"
