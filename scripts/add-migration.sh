#!/usr/bin/env bash
# Adds a migration for both providers (each keeps its own folder): scripts/add-migration.sh NameOfChange
set -euo pipefail
cd "$(dirname "$0")/.."
name=${1:?usage: scripts/add-migration.sh NameOfChange}
dotnet tool restore >/dev/null
for provider in Sqlite Postgres; do
  dotnet ef migrations add "$name" --project src/ShopAffiliate.Core --startup-project src/ShopAffiliate.Core \
    --context "${provider}AppDbContext" --output-dir "Data/Migrations/$provider"
done
rm -f src/ShopAffiliate.Core/design.db
