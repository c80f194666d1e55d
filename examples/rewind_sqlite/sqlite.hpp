// Just enough of SQLite's C API for the rewind example: a connection and a
// prepared statement that own their handles, and errors as exceptions.
// SQLITE_BUSY is not an error here: it is what the caller asked to see
// (busy_timeout 0), so the calls that can meet it report it as `false`.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <stdexcept>
#include <string>

namespace sqlite {

/// A SQLite call failed with something other than SQLITE_BUSY.
class Error : public std::runtime_error {
 public:
  Error(const std::string& what, sqlite3* db) : std::runtime_error(what + ": " + (db ? sqlite3_errmsg(db) : "out of memory")) {}
};

/// One connection. Threading: one thread at a time.
class Connection {
 public:
  /// Opens (creating if needed) the database file at `path`.
  explicit Connection(const std::string& path) {
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) != SQLITE_OK) {
      const Error error("cannot open " + path, db_);
      sqlite3_close(db_);
      throw error;
    }
  }
  ~Connection() { sqlite3_close(db_); }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  /// How long a call waits for another connection's lock before it reports SQLITE_BUSY (0: not at all).
  void setBusyTimeout(int milliseconds) { sqlite3_busy_timeout(db_, milliseconds); }

  /// Runs `sql`; false if it met SQLITE_BUSY, throws on any other failure.
  [[nodiscard]] bool tryExec(const std::string& sql) {
    const int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr);
    if (rc == SQLITE_BUSY) return false;
    if (rc != SQLITE_OK) throw Error(sql, db_);
    return true;
  }
  /// Runs `sql`, which must not meet SQLITE_BUSY.
  void exec(const std::string& sql) {
    if (!tryExec(sql)) throw Error(sql + " met SQLITE_BUSY", db_);
  }
  /// Whether a transaction is open on this connection.
  [[nodiscard]] bool inTransaction() const { return sqlite3_get_autocommit(db_) == 0; }

  /// The handle, for Statement.
  [[nodiscard]] sqlite3* handle() const noexcept { return db_; }

 private:
  sqlite3* db_ = nullptr;
};

/// A prepared statement of integer parameters. Threading: its connection's thread.
class Statement {
 public:
  /// Prepares `sql` on `connection`.
  Statement(Connection& connection, const std::string& sql) : db_(connection.handle()) {
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &statement_, nullptr) != SQLITE_OK) throw Error(sql, db_);
  }
  ~Statement() { sqlite3_finalize(statement_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  /// Binds `values` to ?1, ?2, ... and runs the statement to completion;
  /// false if it met SQLITE_BUSY, throws on any other failure.
  template <class... Values>
  [[nodiscard]] bool tryRun(Values... values) {
    int index = 0;
    (sqlite3_bind_int64(statement_, ++index, static_cast<sqlite3_int64>(values)), ...);
    const int rc = sqlite3_step(statement_);
    sqlite3_reset(statement_);
    if (rc == SQLITE_BUSY) return false;
    if (rc != SQLITE_DONE) throw Error(sqlite3_sql(statement_), db_);
    return true;
  }

  /// Runs a query and returns the integer in the first column of its first row.
  [[nodiscard]] std::int64_t queryInt() {
    const int rc = sqlite3_step(statement_);
    if (rc != SQLITE_ROW) throw Error(sqlite3_sql(statement_), db_);
    const std::int64_t value = sqlite3_column_int64(statement_, 0);
    sqlite3_reset(statement_);
    return value;
  }

 private:
  sqlite3* db_;
  sqlite3_stmt* statement_ = nullptr;
};

}  // namespace sqlite
