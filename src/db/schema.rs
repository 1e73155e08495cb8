// One schema for both backends: every column type here is portable between SQLite and PostgreSQL.

diesel::table! {
    organizations (id) {
        id -> Text,
        slug -> Text,
        name_kk -> Nullable<Text>,
        name_ru -> Nullable<Text>,
        name_en -> Nullable<Text>,
        serial_prefix -> Text,
        city -> Nullable<Text>,
        created_at -> Text,
        head_name -> Nullable<Text>,
        head_title -> Nullable<Text>,
        address -> Nullable<Text>,
        phone -> Nullable<Text>,
        email -> Nullable<Text>,
        website -> Nullable<Text>,
        logo_sha256 -> Nullable<Text>,
        stamp_sha256 -> Nullable<Text>,
        signature_sha256 -> Nullable<Text>,
    }
}

diesel::table! {
    api_tokens (id) {
        id -> Text,
        organization_id -> Text,
        token_hash -> Text,
        label -> Nullable<Text>,
        created_at -> Text,
        revoked_at -> Nullable<Text>,
        role -> Text,
        created_by -> Nullable<Text>,
    }
}

diesel::table! {
    competitions (id) {
        id -> Text,
        organization_id -> Text,
        title -> Text,
        title_kk -> Nullable<Text>,
        title_ru -> Nullable<Text>,
        title_en -> Nullable<Text>,
        kind -> Text,
        direction -> Nullable<Text>,
        level -> Nullable<Text>,
        starts_on -> Nullable<Text>,
        ends_on -> Nullable<Text>,
        city -> Nullable<Text>,
        language -> Text,
        design -> Text,
        status -> Text,
        created_at -> Text,
        valid_until -> Nullable<Text>,
        previous_stage_id -> Nullable<Text>,
        hours -> Nullable<Integer>,
        letters -> Bool,
        signer_name -> Nullable<Text>,
        signer_title -> Nullable<Text>,
        audience -> Nullable<Text>,
        department_id -> Nullable<Text>,
        archived_at -> Nullable<Text>,
    }
}

diesel::table! {
    competition_papers (competition_id) {
        competition_id -> Text,
        member_papers -> Bool,
        reasons -> Nullable<Text>,
    }
}

diesel::table! {
    departments (id) {
        id -> Text,
        organization_id -> Text,
        name -> Text,
        created_at -> Text,
    }
}

diesel::table! {
    entries (id) {
        id -> Text,
        competition_id -> Text,
        source_row -> Integer,
        holder_name -> Text,
        team_members -> Nullable<Text>,
        school -> Nullable<Text>,
        region -> Nullable<Text>,
        settlement_type -> Nullable<Text>,
        supervisor -> Nullable<Text>,
        nomination -> Nullable<Text>,
        age_group -> Nullable<Text>,
        email -> Nullable<Text>,
        award -> Text,
        created_at -> Text,
        supervisor_email -> Nullable<Text>,
        hours -> Nullable<Integer>,
        custom_fields -> Nullable<Text>,
        award_title -> Nullable<Text>,
        birth_date -> Nullable<Text>,
        phone -> Nullable<Text>,
        attended -> Nullable<Bool>,
    }
}

diesel::table! {
    persons (id) {
        id -> Text,
        organization_id -> Text,
        name -> Text,
        search_name -> Text,
        birth_date -> Nullable<Text>,
        school -> Nullable<Text>,
        created_at -> Text,
        number -> Integer,
    }
}

diesel::table! {
    report_keys (organization_id, breakdown, value) {
        organization_id -> Text,
        breakdown -> Text,
        value -> Text,
        number -> Integer,
    }
}

diesel::table! {
    person_keys (organization_id, key) {
        organization_id -> Text,
        key -> Text,
        person_id -> Text,
    }
}

diesel::table! {
    participations (id) {
        id -> Text,
        entry_id -> Text,
        position -> Integer,
        competition_id -> Text,
        person_id -> Text,
        name -> Text,
        pinned -> Bool,
        person_number -> Integer,
        team -> Bool,
        award_key -> Integer,
        region_key -> Integer,
        settlement_key -> Integer,
        school_key -> Integer,
        age_group_key -> Integer,
    }
}

diesel::table! {
    setup_links (token_hash) {
        token_hash -> Text,
        created_at -> Text,
        expires_at -> Text,
        used_at -> Nullable<Text>,
    }
}

diesel::table! {
    award_words (organization_id, text_key) {
        organization_id -> Text,
        text_key -> Text,
        text -> Text,
        award -> Text,
        title -> Nullable<Text>,
        updated_at -> Text,
    }
}

diesel::table! {
    serial_counters (organization_id, year) {
        organization_id -> Text,
        year -> Integer,
        last_value -> Integer,
    }
}

diesel::table! {
    documents (id) {
        id -> Text,
        organization_id -> Text,
        competition_id -> Text,
        entry_id -> Nullable<Text>,
        serial -> Text,
        code -> Text,
        status -> Text,
        design -> Text,
        payload -> Text,
        sha256 -> Nullable<Text>,
        revoked_reason -> Nullable<Text>,
        revoked_at -> Nullable<Text>,
        issued_at -> Text,
        signed_record -> Nullable<Text>,
        superseded_by -> Nullable<Text>,
        public_lookup -> Bool,
        job_id -> Nullable<Text>,
        claimed_by -> Nullable<Text>,
        claimed_until -> Nullable<Text>,
        rendered_by -> Nullable<Text>,
        kind -> Text,
        supervisor_key -> Nullable<Text>,
        pack -> Nullable<Text>,
        pack_offset -> Nullable<BigInt>,
        pack_length -> Nullable<BigInt>,
        recipient -> Nullable<Text>,
    }
}

diesel::table! {
    document_credentials (document_id) {
        document_id -> Text,
        credential -> Text,
    }
}

diesel::table! {
    credential_status (document_id) {
        document_id -> Text,
        organization_id -> Text,
        list_index -> BigInt,
    }
}

diesel::table! {
    scans (id) {
        id -> Text,
        document_id -> Text,
        scanned_at -> Text,
        status -> Text,
    }
}

diesel::table! {
    jobs (id) {
        id -> Text,
        organization_id -> Text,
        competition_id -> Text,
        kind -> Text,
        state -> Text,
        done -> Integer,
        total -> Integer,
        error -> Nullable<Text>,
        created_at -> Text,
        updated_at -> Text,
        reverify -> Bool,
        verified -> Integer,
    }
}

diesel::table! {
    judges (id) {
        id -> Text,
        competition_id -> Text,
        token_id -> Text,
        name -> Text,
        organization -> Text,
        created_at -> Text,
        user_id -> Nullable<Text>,
    }
}

diesel::table! {
    criteria (id) {
        id -> Text,
        competition_id -> Text,
        position -> Integer,
        name -> Text,
        max_points -> Integer,
        weight -> Double,
        step_tenths -> Integer,
    }
}

diesel::table! {
    scores (judge_id, entry_id, criterion_id) {
        judge_id -> Text,
        entry_id -> Text,
        criterion_id -> Text,
        tenths -> Integer,
        scored_at -> Text,
        remark -> Text,
    }
}

diesel::table! {
    jury_settings (competition_id) {
        competition_id -> Text,
        aggregation -> Text,
        award_rule -> Text,
        pass_min_tenths -> Nullable<BigInt>,
        tie_criterion_id -> Nullable<Text>,
        spread_tenths -> Nullable<BigInt>,
    }
}

diesel::table! {
    jury_blind (competition_id) {
        competition_id -> Text,
    }
}

diesel::table! {
    sheet_remarks (judge_id, entry_id) {
        judge_id -> Text,
        entry_id -> Text,
        remark -> Text,
    }
}

diesel::table! {
    judge_panels (judge_id, nomination) {
        judge_id -> Text,
        nomination -> Text,
    }
}

diesel::table! {
    jury_assignments (judge_id, entry_id) {
        judge_id -> Text,
        entry_id -> Text,
        competition_id -> Text,
    }
}

diesel::table! {
    out_of_competition (entry_id) {
        entry_id -> Text,
    }
}

diesel::table! {
    jury_chairs (competition_id) {
        competition_id -> Text,
        judge_id -> Text,
    }
}

diesel::table! {
    jury_sign_offs (competition_id) {
        competition_id -> Text,
        judge_id -> Text,
        signed_by -> Text,
        signed_at -> Text,
    }
}

diesel::table! {
    users (id) {
        id -> Text,
        organization_id -> Text,
        email -> Text,
        name -> Text,
        role -> Text,
        password_hash -> Text,
        created_at -> Text,
        disabled_at -> Nullable<Text>,
        language -> Nullable<Text>,
    }
}

diesel::table! {
    password_resets (token_hash) {
        token_hash -> Text,
        user_id -> Text,
        created_at -> Text,
        expires_at -> Text,
        used_at -> Nullable<Text>,
    }
}

diesel::table! {
    account_mail (id) {
        id -> Text,
        kind -> Text,
        user_id -> Text,
        language -> Text,
        created_at -> Text,
        next_attempt_at -> Text,
        attempts -> Integer,
        sent_at -> Nullable<Text>,
        failed_at -> Nullable<Text>,
        last_error -> Nullable<Text>,
        judge_id -> Nullable<Text>,
    }
}

diesel::table! {
    sessions (token_hash) {
        token_hash -> Text,
        user_id -> Text,
        csrf_token -> Text,
        created_at -> Text,
        expires_at -> Text,
    }
}

diesel::table! {
    invitations (token_hash) {
        token_hash -> Text,
        organization_id -> Text,
        email -> Text,
        role -> Text,
        invited_by -> Nullable<Text>,
        created_at -> Text,
        expires_at -> Text,
        accepted_at -> Nullable<Text>,
    }
}

diesel::table! {
    sign_in_attempts (key) {
        key -> Text,
        window_start -> Text,
        attempts -> Integer,
    }
}

diesel::table! {
    outbox (id) {
        id -> Text,
        organization_id -> Text,
        competition_id -> Text,
        recipient_kind -> Text,
        recipient_name -> Text,
        recipient_email -> Text,
        language -> Text,
        state -> Text,
        attempts -> Integer,
        next_attempt_at -> Text,
        lease_until -> Nullable<Text>,
        data_sent_at -> Nullable<Text>,
        last_error -> Nullable<Text>,
        message_id -> Text,
        created_at -> Text,
        updated_at -> Text,
        sent_at -> Nullable<Text>,
    }
}

diesel::table! {
    outbox_documents (message_id, document_id) {
        message_id -> Text,
        document_id -> Text,
        download_token -> Nullable<Text>,
        token_hash -> Nullable<Text>,
    }
}

diesel::table! {
    designs (id) {
        id -> Text,
        organization_id -> Text,
        name -> Text,
        latest_version -> Integer,
        created_at -> Text,
        deleted_at -> Nullable<Text>,
    }
}

diesel::table! {
    design_versions (design_id, version) {
        design_id -> Text,
        version -> Integer,
        definition -> Text,
        pictures -> Text,
        created_at -> Text,
    }
}

diesel::table! {
    design_pictures (sha256) {
        sha256 -> Text,
        kind -> Text,
        width -> Integer,
        height -> Integer,
        bytes -> Binary,
        created_at -> Text,
    }
}

diesel::table! {
    audit_events (id) {
        id -> Text,
        organization_id -> Text,
        at -> Text,
        actor_user_id -> Nullable<Text>,
        actor -> Text,
        action -> Text,
        subject -> Text,
    }
}

diesel::table! {
    signing_keys (kid) {
        kid -> Text,
        generation -> Nullable<Integer>,
        public_key -> Text,
        status -> Text,
        created_at -> Text,
    }
}

diesel::table! {
    retention_settings (organization_id) {
        organization_id -> Text,
        days -> Integer,
        updated_at -> Text,
    }
}

diesel::table! {
    erasures (competition_id) {
        competition_id -> Text,
        erased_at -> Text,
        entries -> Integer,
        documents -> Integer,
    }
}

diesel::table! {
    document_changes (seq) {
        seq -> BigInt,
        code -> Text,
        changed_at -> Text,
    }
}

diesel::table! {
    calls (competition_id) {
        competition_id -> Text,
        organization_id -> Text,
        published -> Bool,
        summary -> Nullable<Text>,
        contacts -> Nullable<Text>,
        opens_at -> Nullable<Text>,
        deadline -> Nullable<Text>,
        nominations -> Text,
        age_groups -> Text,
        fields -> Text,
        team_max -> Integer,
        files_max -> Integer,
        file_mb -> Integer,
        file_kinds -> Text,
        rules_sha256 -> Nullable<Text>,
        results_published -> Bool,
        updated_at -> Text,
    }
}

diesel::table! {
    applications (id) {
        id -> Text,
        competition_id -> Text,
        number -> Integer,
        state -> Text,
        remark -> Nullable<Text>,
        holder_name -> Text,
        team_members -> Nullable<Text>,
        school -> Nullable<Text>,
        region -> Nullable<Text>,
        settlement_type -> Nullable<Text>,
        age_group -> Nullable<Text>,
        nomination -> Nullable<Text>,
        supervisor -> Nullable<Text>,
        supervisor_email -> Nullable<Text>,
        email -> Text,
        phone -> Nullable<Text>,
        minor -> Bool,
        guardian_name -> Nullable<Text>,
        consent_at -> Nullable<Text>,
        consent_text -> Nullable<Text>,
        answers -> Text,
        language -> Text,
        email_confirmed_at -> Nullable<Text>,
        entry_id -> Nullable<Text>,
        created_at -> Text,
        updated_at -> Text,
    }
}

diesel::table! {
    application_files (id) {
        id -> Text,
        application_id -> Text,
        field -> Text,
        name -> Text,
        media_type -> Text,
        size -> BigInt,
        sha256 -> Text,
        created_at -> Text,
    }
}

diesel::table! {
    application_links (token_hash) {
        token_hash -> Text,
        application_id -> Text,
        created_at -> Text,
    }
}

diesel::table! {
    application_mail (id) {
        id -> Text,
        application_id -> Text,
        kind -> Text,
        created_at -> Text,
        next_attempt_at -> Text,
        attempts -> Integer,
        sent_at -> Nullable<Text>,
        failed_at -> Nullable<Text>,
        last_error -> Nullable<Text>,
    }
}

diesel::table! {
    stage_invitations (id) {
        id -> Text,
        token_hash -> Text,
        organization_id -> Text,
        competition_id -> Text,
        addressee -> Nullable<Text>,
        quota -> Nullable<Integer>,
        created_by -> Nullable<Text>,
        created_at -> Text,
        expires_at -> Text,
        revoked_at -> Nullable<Text>,
        used_at -> Nullable<Text>,
    }
}

diesel::table! {
    stage_links (id) {
        id -> Text,
        invitation_id -> Text,
        upper_organization_id -> Text,
        upper_competition_id -> Text,
        lower_organization_id -> Text,
        lower_competition_id -> Text,
        linked_at -> Text,
    }
}

diesel::table! {
    stage_forwards (link_id, source_key) {
        link_id -> Text,
        source_key -> Text,
        entry_id -> Nullable<Text>,
        holder_name -> Text,
        nomination -> Nullable<Text>,
        age_group -> Nullable<Text>,
        forwarded_at -> Text,
        refused_at -> Nullable<Text>,
    }
}

diesel::table! {
    review_rounds (entry_id, round) {
        entry_id -> Text,
        round -> Integer,
        competition_id -> Text,
        remark -> Text,
        returned_at -> Text,
        revised_at -> Nullable<Text>,
    }
}

diesel::table! {
    past_scores (entry_id, round, judge_id, criterion_id) {
        entry_id -> Text,
        round -> Integer,
        judge_id -> Text,
        criterion_id -> Text,
        competition_id -> Text,
        tenths -> Integer,
        remark -> Text,
    }
}

diesel::table! {
    past_sheet_remarks (entry_id, round, judge_id) {
        entry_id -> Text,
        round -> Integer,
        judge_id -> Text,
        competition_id -> Text,
        remark -> Text,
    }
}

diesel::table! {
    chair_ties (entry_id) {
        entry_id -> Text,
        competition_id -> Text,
        position -> Integer,
        decided_by -> Text,
        decided_at -> Text,
    }
}

diesel::table! {
    judge_panel_ages (judge_id, age_group) {
        judge_id -> Text,
        age_group -> Text,
    }
}

diesel::joinable!(api_tokens -> organizations (organization_id));
diesel::joinable!(competitions -> organizations (organization_id));
diesel::joinable!(entries -> competitions (competition_id));
diesel::joinable!(award_words -> organizations (organization_id));
diesel::joinable!(participations -> entries (entry_id));
diesel::joinable!(participations -> persons (person_id));
diesel::joinable!(participations -> competitions (competition_id));
diesel::joinable!(person_keys -> persons (person_id));
diesel::joinable!(documents -> entries (entry_id));
diesel::joinable!(documents -> competitions (competition_id));
diesel::joinable!(competition_papers -> competitions (competition_id));
diesel::joinable!(jobs -> competitions (competition_id));
diesel::joinable!(scans -> documents (document_id));
diesel::joinable!(credential_status -> documents (document_id));
diesel::joinable!(document_credentials -> documents (document_id));
diesel::joinable!(judges -> api_tokens (token_id));
diesel::joinable!(judges -> competitions (competition_id));
diesel::joinable!(criteria -> competitions (competition_id));
diesel::joinable!(scores -> judges (judge_id));
diesel::joinable!(scores -> entries (entry_id));
diesel::joinable!(scores -> criteria (criterion_id));
diesel::joinable!(out_of_competition -> entries (entry_id));
diesel::joinable!(jury_assignments -> judges (judge_id));
diesel::joinable!(jury_assignments -> entries (entry_id));
diesel::joinable!(sheet_remarks -> judges (judge_id));
diesel::joinable!(judge_panels -> judges (judge_id));
diesel::joinable!(judge_panel_ages -> judges (judge_id));
diesel::joinable!(outbox_documents -> outbox (message_id));
diesel::joinable!(outbox_documents -> documents (document_id));
diesel::joinable!(users -> organizations (organization_id));
diesel::joinable!(audit_events -> organizations (organization_id));
diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(password_resets -> users (user_id));
diesel::joinable!(account_mail -> users (user_id));
diesel::joinable!(designs -> organizations (organization_id));
diesel::joinable!(design_versions -> designs (design_id));

diesel::joinable!(applications -> competitions (competition_id));
diesel::joinable!(application_files -> applications (application_id));
diesel::joinable!(application_links -> applications (application_id));
diesel::joinable!(application_mail -> applications (application_id));
diesel::joinable!(stage_links -> stage_invitations (invitation_id));
diesel::joinable!(stage_forwards -> stage_links (link_id));

diesel::allow_tables_to_appear_in_same_query!(
    judge_panel_ages,
    chair_ties,
    review_rounds,
    past_scores,
    past_sheet_remarks,
    document_changes,
    calls,
    applications,
    application_files,
    application_links,
    application_mail,
    organizations,
    audit_events,
    signing_keys,
    retention_settings,
    erasures,
    api_tokens,
    competitions,
    competition_papers,
    entries,
    persons,
    person_keys,
    report_keys,
    participations,
    award_words,
    departments,
    setup_links,
    serial_counters,
    documents,
    credential_status,
    document_credentials,
    jobs,
    scans,
    judges,
    criteria,
    scores,
    jury_settings,
    jury_blind,
    sheet_remarks,
    jury_assignments,
    judge_panels,
    out_of_competition,
    jury_chairs,
    jury_sign_offs,
    users,
    sessions,
    password_resets,
    account_mail,
    invitations,
    sign_in_attempts,
    outbox,
    outbox_documents,
    designs,
    design_versions,
    design_pictures,
    stage_invitations,
    stage_links,
    stage_forwards,
);
