#!/bin/sh
# Generates protoc-gen-validate Java validators for the Envoy v3 protos (tests only).
# $1: directory holding protos/ and bin/ (unpacked and copied by maven-dependency-plugin)
# $2: output directory for the generated Java sources
set -eu
base="$1"
out="$2"
stamp="$out/.generated"
if [ -f "$stamp" ]; then
  exit 0
fi
chmod +x "$base/bin/protoc.exe" "$base/bin/protoc-gen-validate.exe"
rm -rf "$out"
mkdir -p "$out"
cd "$base/protos"
# Every envoy/**/v3 proto (cel/* and other imported packages are only on the import path).
files=$(find envoy -path '*/v3/*.proto' | LC_ALL=C sort)
"$base/bin/protoc.exe" -I. --plugin=protoc-gen-validate="$base/bin/protoc-gen-validate.exe" \
  --validate_out="lang=java:$out" $files
touch "$stamp"
