# Writes OUT: a C++ file with every DIR/NNNN_name.<backend>.sql as a raw string literal.
file(GLOB files ${DIR}/*.sql)
list(SORT files)
set(body "")
foreach(f ${files})
  get_filename_component(name ${f} NAME)
  string(REGEX MATCH "^([0-9]+)_" _ ${name})
  math(EXPR version "${CMAKE_MATCH_1}")
  file(READ ${f} sql)
  string(APPEND body "    {${version}, \"${name}\", R\"ucscsql(${sql})ucscsql\"},\n")
endforeach()
file(WRITE ${OUT}.tmp "// Generated from migrations/ by embed_migrations.cmake. Do not edit.
#include \"store/internal/sql_store.h\"

namespace ucsc::store::internal {

const std::vector<Migration>& EmbeddedMigrations(std::string_view suffix) {
  static const std::vector<Migration> kAll = {
${body}  };
  static std::map<std::string, std::vector<Migration>, std::less<>> by_suffix;
  static std::mutex mu;
  std::lock_guard lock(mu);
  auto it = by_suffix.find(suffix);
  if (it == by_suffix.end()) {
    std::vector<Migration> picked;
    for (const auto& m : kAll) {
      if (m.name.size() >= suffix.size() &&
          m.name.substr(m.name.size() - suffix.size()) == suffix) {
        picked.push_back(m);
      }
    }
    it = by_suffix.emplace(std::string(suffix), std::move(picked)).first;
  }
  return it->second;
}

}  // namespace ucsc::store::internal
")
file(READ ${OUT}.tmp content)
string(REPLACE "#include \"store/internal/sql_store.h\"" "#include <map>\n#include <mutex>\n\n#include \"store/internal/sql_store.h\"" content "${content}")
file(WRITE ${OUT} "${content}")
