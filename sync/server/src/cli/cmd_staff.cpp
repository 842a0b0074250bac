// buurtstem-server add-staff: a dashboard account; the password from standard input, so it is in no shell
// history or process list.
#include <iostream>

#include "buurtstem/server/staff_auth.hpp"
#include "buurtstem/server/staff_store.hpp"
#include "cli.hpp"

namespace buurtstem::server_cli {
namespace {

struct StaffOptions {
    std::string db;
    std::string user;
    std::string role;
    std::string municipality;
    bool replace = false;
};

int add_staff(const StaffOptions& o) {
    const auto role = parse_staff_role(o.role);
    if (!role) {
        return usage_error("add-staff", "--role must be admin or analyst, not '" + o.role + "'");
    }
    if (o.user.empty() || o.user.size() > 64 || o.user.find_first_of(" \t\r\n") != std::string::npos) {
        return usage_error("add-staff",
                           "--user must be 1 to 64 characters without spaces, not '" + o.user + "'");
    }
    if (*role == StaffRole::Analyst && o.municipality.empty()) {
        return usage_error("add-staff", "an analyst needs --municipality (the consultations they may see)");
    }
    std::string password;
    if (!std::getline(std::cin, password)) {
        return fail_with("add-staff reads the password from standard input; none was given");
    }
    if (!password.empty() && password.back() == '\r') {
        password.pop_back();
    }
    if (password.size() < 12) {
        return fail_with("the password must be at least 12 characters (it was " +
                         std::to_string(password.size()) + ")");
    }
    auto store = open_store(o.db); // creates the database and the server's own tables first
    if (!store) {
        return 1;
    }
    auto staff = open_staff_store(o.db);
    if (!staff) {
        return fail_with(staff.error().to_string());
    }
    auto hash = hash_staff_password(password);
    if (!hash) {
        return fail_with(hash.error());
    }
    if (auto put = (*staff)->put_staff(StaffAccount{o.user, *role, o.municipality, *hash, 0, ""}, o.replace);
        !put) {
        return fail_with(put.error().to_string() + (put.error().kind == ServerStoreError::Kind::Exists
                                                        ? " (--replace to change it)"
                                                        : ""));
    }
    std::cerr << "staff account '" << o.user << "' (" << to_string(*role)
              << (o.municipality.empty() ? std::string() : ", " + o.municipality) << ") "
              << (o.replace ? "set" : "added") << "\n";
    return 0;
}

} // namespace

void add_staff_commands(Commands& commands) {
    auto o = std::make_shared<StaffOptions>();
    CLI::App* cmd = commands.add(
        "add-staff",
        "a dashboard account (https://HOST:PORT/); the password is read from standard input (one line)",
        "An analyst sees the consultations of their municipality; an admin without one sees all.");
    add_db_option(cmd, o->db);
    cmd->add_option("--user", o->user, "the account name: 1 to 64 characters without spaces")
        ->required()
        ->type_name("NAME");
    cmd->add_option("--role", o->role, "admin or analyst")->required()->type_name("admin|analyst");
    cmd->add_option("--municipality", o->municipality, "the municipality whose consultations it sees")
        ->type_name("NAME");
    cmd->add_flag("--replace", o->replace,
                  "give an existing account a new password, role and municipality (and lift a lockout)");
    commands.on_run(cmd, [o] { return add_staff(*o); });
}

} // namespace buurtstem::server_cli
