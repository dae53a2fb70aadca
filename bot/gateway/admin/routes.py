"""Every URL of the admin (under /admin), by name. Views stay in bot/gateway/admin/views/."""
from __future__ import annotations

from aiohttp import web

from bot.gateway.admin.views import (accounts, audit, guides, imports, login, offices, procedures, retrain,
                                     vocabulary)


def setup_admin_routes(app: web.Application) -> None:
    app.router.add_get("/", procedures.home, name="admin_home")
    app.router.add_get("/login", login.login_page, name="admin_login")
    app.router.add_post("/login", login.login, name="admin_login_post")
    app.router.add_post("/logout", login.logout, name="admin_logout")
    app.router.add_get("/procedures", procedures.procedure_list, name="admin_procedures")
    app.router.add_get("/procedures/new", procedures.procedure_new, name="admin_procedure_new")
    app.router.add_post("/procedures/new", procedures.procedure_create, name="admin_procedure_create")
    app.router.add_get("/procedures/{code}", procedures.procedure_form, name="admin_procedure")
    app.router.add_post("/procedures/{code}", procedures.procedure_save, name="admin_procedure_save")
    app.router.add_post("/procedures/{code}/delete", procedures.procedure_delete, name="admin_procedure_delete")
    app.router.add_get("/vocabulary", vocabulary.vocabulary_list, name="admin_vocabulary")
    app.router.add_post("/vocabulary", vocabulary.vocabulary_save, name="admin_vocabulary_save")
    app.router.add_post("/vocabulary/delete", vocabulary.vocabulary_delete, name="admin_vocabulary_delete")
    app.router.add_get("/offices", offices.office_list, name="admin_offices")
    app.router.add_get("/offices/{office_id}", offices.office_form, name="admin_office")
    app.router.add_post("/offices/{office_id}", offices.office_save, name="admin_office_save")
    app.router.add_get("/guides", guides.guide_list, name="admin_guides")
    app.router.add_get("/guides/{guide_id}", guides.guide_form, name="admin_guide")
    app.router.add_post("/guides/{guide_id}", guides.guide_save, name="admin_guide_save")
    app.router.add_get("/import", imports.import_page, name="admin_import")
    app.router.add_post("/import", imports.import_upload, name="admin_import_upload")
    app.router.add_post("/import/apply", imports.import_apply, name="admin_import_apply")
    app.router.add_get("/import/{job}", imports.import_job, name="admin_import_job")
    app.router.add_get("/import/{job}/status", imports.import_job_status, name="admin_import_status")
    app.router.add_get("/retrain", retrain.retrain_page, name="admin_retrain")
    app.router.add_post("/retrain", retrain.retrain_start, name="admin_retrain_start")
    app.router.add_get("/retrain/{job}", retrain.retrain_job, name="admin_retrain_job")
    app.router.add_get("/retrain/{job}/status", retrain.retrain_job_status, name="admin_retrain_status")
    app.router.add_get("/audit", audit.audit_list, name="admin_audit")
    app.router.add_get("/accounts", accounts.account_list, name="admin_accounts")
    app.router.add_post("/accounts", accounts.account_create, name="admin_account_create")
    app.router.add_post("/accounts/{username}", accounts.account_update, name="admin_account_update")
