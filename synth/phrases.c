/* SPDX-License-Identifier: MIT */
/*
 * The phrase bank of the synthetic case logs; see phrases.h.  Every phrase
 * is invented; the vocabulary follows the domain brief (abbreviations such
 * as LOE, H2H, OIC, VCOP, RUI, FTA, PNC; negations such as "no CCTV";
 * near misses such as "awaiting sgt review").  Changing what a phrase means
 * changes the truth of generated data: keep each phrase in its class.
 */
#include "synth/phrases.h"

#include <string.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const char *const report_cad[] = {
    "999 call received from IP. {cad} refers.",
    "Call received via 101 reporting {off}. {cad}.",
    "Incident {cad} created by FCR, passed for crime recording.",
    "Report of {off} received from caller, {cad} refers.",
    "IP called 101 to report {off}. Logged as {cad}.",
    "Call from IP reporting {off}; THRIVE applied by call handler. {cad}",
    "Report received from witness, incident ref {cad}.",
    "Initial report via 999 ({cad}) - IP states {off}.",
};

static const char *const report_direct[] = {
    "Online report received via force website.",
    "Report made in person at {station} front counter, recorded direct.",
    "Reported directly to CMU by telephone - no incident created.",
    "Third party report received by email, recorded direct.",
    "Report received via Single Online Home.",
    "Walk-in report at {station}, no CAD.",
};

static const char *const attend[] = {
    "Attended, IP seen and spoken to.",
    "On scene. IP seen, advice given.",
    "Attended {addr}, IP seen.",
    "Arrived at scene, IP reassured.",
    "Attended address - IP present, details taken.",
    "Attended as requested, spoke with IP.",
    "Att'd - IP seen at home address.",
    "Officers attended. IP spoken to, no injuries.",
};

static const char *const record[] = {
    "Crime recorded as {off}.",
    "Crimed - {off}.",
    "Crime record created. Classification: {off}.",
    "Recorded as {off} in line with NCRS/HOCR.",
    "Crime report completed, {off}.",
    "Recorded on crime system as {off}.",
    "Crime recorded. HOCR classification {off}.",
};

static const char *const alloc[] = {
    "Allocated to {oic} as OIC.",
    "OIC: {oic}.",
    "Crime allocated to {oic} for investigation.",
    "Re-allocated to {oic}.",
    "Allocated to local policing team - OIC {oic}.",
    "Tasked to {oic} (OIC).",
};

static const char *const action[] = {
    "CCTV trawl completed - negative.",
    "CCTV seized from {shop}, exhibit {exh}.",
    "CCTV viewed, offender not identifiable.",
    "CCTV neg at {addr}.",
    "Checked council CCTV - nothing of evidential value.",
    "House to house conducted on {addr} and neighbouring addresses, no "
    "witnesses.",
    "H2H completed, negative.",
    "H2H - spoke to {n} neighbours, nothing seen or heard.",
    "CSI attended, fingerprints lifted from point of entry.",
    "SOCO attended - no forensic opportunities found.",
    "DNA swab submitted for analysis, exhibit {exh}.",
    "MG11 statement obtained from IP.",
    "Statement taken from witness at scene.",
    "ABE interview conducted with IP.",
    "PNC and intel checks completed on suspect details.",
    "ANPR checks on {vrm} - no hits.",
    "Phone download completed, nothing of note.",
    "Spoke to staff at {shop}, no witnesses. CCTV not working.",
    "Body worn video reviewed and exhibited as {exh}.",
    "Forensic submission made - glass fragments from window.",
    "Social media enquiries completed.",
    "Bank enquiries made re transactions, results awaited.",
    "Witness traced and statement obtained.",
    "Scene photographed and exhibits seized ({exh}).",
    "Enquiries at {shop}: CCTV obtained and viewed, suspect seen.",
    "VRI interview with IP completed.",
};

static const char *const noaction[] = {
    "No enquiries made at this time.",
    "IP states no CCTV and no witnesses.",
    "No CCTV.",
    "H2H not conducted.",
    "No forensic opportunities - CSI not requested.",
    "No LOE identified.",
    "CCTV not requested.",
    "Enquiries to be completed by OIC.",
    "No witnesses. No suspect.",
    "Lines of enquiry to follow.",
    "No H2H, no CCTV enquiries made.",
};

static const char *const plan[] = {
    "Investigation plan: 1) arrest named suspect 2) MG11 from IP 3) CCTV.",
    "Inv plan set - arrest and interview suspect, seek CCTV.",
    "Plan: suspect to be arrested on sight; H2H; statement from witness.",
    "LOE: arrest {person}, interview, check CCTV at {addr}.",
    "Suspect strategy: VA interview to be arranged, if no engagement arrest.",
    "Investigation plan recorded on actions page - suspect {person} to be "
    "interviewed.",
    "Actions set: locate and arrest suspect, ABE with IP.",
    "Investigation plan:\n- arrest named suspect\n- CCTV at {addr}\n"
    "- MG11 from IP",
    "Investigative plan agreed: arrest, interview, PNC checks on {person}.",
};

static const char *const noplan[] = {
    "Named suspect. Plan to follow.",
    "No investigation plan set yet.",
    "Awaiting investigation plan.",
    "Plan to be agreed with supervisor.",
    "Suspect details passed by IP, no plan recorded.",
};

static const char *const arrest[] = {
    "Suspect arrested at home address for {off}.",
    "Named suspect arrested and interviewed - denies offence.",
    "Suspect arrested, interviewed under caution, no comment.",
    "DP arrested on suspicion of {off}, conveyed to {station} custody.",
    "Arrested {person} for {off}; interview conducted.",
};

static const char *const va[] = {
    "Suspect attended voluntary interview.",
    "VA interview conducted with suspect, full admissions.",
    "Suspect interviewed by appointment (voluntary attendance).",
};

static const char *const review[] = {
    "Supervisory review completed. LOE appropriate. Next review {date}.",
    "Supervisor review: OIC to complete H2H and CCTV. Review in 28 days.",
    "{myrank} review - investigation proportionate, continue.",
    "Reviewed. Agree with THRIVE, standard risk.",
    "QA'd - crime correctly classified, LOE set.",
    "Crime reviewed. Supervisory rationale: proportionate enquiries in place.",
    "{myrank} review: appropriate enquiries identified, next review date "
    "{date}.",
    "Supervisory review - DDM: continue investigation.",
    "Supervisory reveiw completed.",
    "I have reviewed this crime. Actions set for OIC. Next review {date}.",
    "Initial supervisory review: THRIVE standard, allocated correctly.",
    "Reviewed by supervisor, investigation plan appropriate.",
    "Supervisor's review - ok, keep victim updated.",
    "Review: crime investigated proportionately. Next review date {date}.",
};

static const char *const review_near[] = {
    "Awaiting sgt review.",
    "Supervisor review requested.",
    "Sent to PS for review.",
    "For supervisory review please.",
    "Review requested - no response yet.",
    "No supervisor review yet, chased.",
    "Awaiting DS review before filing.",
};

static const char *const review_near_sup[] = {
    "Not yet reviewed - will pick up on next shift.",
    "Will review on return from leave.",
    "Review outstanding, on list for tomorrow.",
};

static const char *const self_review[] = {
    "Reviewed crime, no further LOE.",
    "OIC review - all enquiries complete.",
    "I have reviewed the file, nothing further.",
};

static const char *const endorse[] = {
    "Reviewed - agree filing, no further proportionate LOE.",
    "Supervisory review: all LOE exhausted. Agree to file pending further "
    "information.",
    "Filing authorised following review.",
    "{myrank} review complete - ok to file.",
    "Reviewed. Endorse decision to file.",
    "Supervisory rationale: no further LOE, agree to file.",
    "QA'd and authorised for filing.",
};

static const char *const vupdate[] = {
    "IP updated by phone re progress.",
    "Victim updated - no change.",
    "VCOP update given to IP by phone.",
    "Update letter sent to victim.",
    "Victim updated in person at home address.",
    "Contacted IP, updated on investigation.",
    "Victim contact: update provided, IP happy with progress.",
    "Emailed IP with an update as per contact agreement.",
    "Spoke to victim, update given. Next update due {date}.",
    "VCOP compliant update completed.",
    "Vicitm updated.",
    "IP updated via text message as requested in contact agreement.",
};

static const char *const vattempt[] = {
    "Attempted to call IP - no answer, voicemail left.",
    "Tried to contact victim for update, no reply.",
    "Victim update due - unable to contact.",
    "Called IP, number unobtainable.",
    "Victim not updated - OIC on leave.",
    "No victim update this month.",
};

static const char *const screen[] = {
    "Screened out: no LOE, no suspect. Filed pending further information.",
    "Crime screened out under solvability assessment. Filed - outcome 18.",
    "Not for further investigation - screened out. Filed.",
    "Screening decision: no proportionate LOE. NFA - filed pending further "
    "info.",
    "Filed at screening - outcome 18, no further investigation.",
};

static const char *const file[] = {
    "Crime filed - undetected, outcome 18.",
    "All LOE completed, filed pending further information.",
    "Finalised as outcome 18 - investigation complete, no suspect identified.",
    "Filed. NFA.",
    "Crime filed pending any new information.",
};

static const char *const told[] = {
    "Victim informed crime will not be investigated further.",
    "IP told crime filed pending further information, VCOP letter sent.",
    "Letter sent to victim advising no further investigation.",
    "Victim advised of screening decision by phone.",
    "Spoke to IP - explained crime filed, no further LOE. IP understands.",
    "VCOP: victim notified of decision not to investigate.",
};

static const char *const told_near[] = {
    "Victim to be informed of filing.",
    "Letter to IP re filing not yet sent.",
    "Attempted to call IP re filing - no answer.",
};

static const char *const out_charge[] = {
    "Suspect charged with {off}, bailed to court.",
    "CPS authorised charge. Suspect charged and remanded.",
    "Outcome 1 - charged/summonsed.",
};

static const char *const out_cr[] = {
    "Community resolution issued with IP's agreement.",
    "Outcome 8 - community resolution.",
};

static const char *const out_15[] = {
    "Outcome 15 - evidential difficulties, suspect identified, victim "
    "supports.",
    "CPS advice: insufficient evidence. Outcome 15.",
};

static const char *const out_16[] = {
    "Victim does not support prosecution - outcome 16. Closed.",
    "Outcome 16: IP withdrew support, retraction statement taken.",
};

static const char *const out_told[] = {
    "Victim informed of outcome.",
    "IP updated with result - happy with outcome.",
    "Victim notified of outcome by letter.",
};

static const char *const noise[] = {
    "THRIVE assessment: standard risk.",
    "Needs assessment completed with IP.",
    "Victim Support referral made with consent.",
    "Property recorded on system.",
    "Crime number given to IP for insurance.",
};

static const char *const noise_vuln[] = {
    "Vulnerability markers checked, enhanced victim.",
    "Safeguarding referral submitted to MASH.",
};

static const char *const noise_viol[] = {
    "DASH risk assessment completed - medium.",
    "Injuries noted, first aid given.",
};

static const char *const w_decide[] = {
    "Decision made to circulate {person} as wanted for {off} ({crime}).",
    "Suspect outstanding for {off} - to be circulated on PNC.",
    "Named suspect {person} wanted in connection with {crime}.",
    "Grounds to arrest {person} for {off}; circulation as wanted requested.",
};

static const char *const w_circ[] = {
    "Circulated on PNC as wanted.",
    "PNC wanted report created, ref {pnc}.",
    "Wanted marker placed on PNC.",
    "PNC circulation completed.",
    "Circulated as wanted on PNC and PND.",
    "Suspect circulated on PNC - WM report {pnc}.",
};

static const char *const trace[] = {
    "Address check at {addr} - no trace.",
    "Attempted arrest at home address - no trace.",
    "Attended last known address, occupant states subject moved out.",
    "Intel checks completed, possible new address {addr}.",
    "Checked custody records and hospitals - negative.",
    "Social media checks - no trace.",
    "ANPR check on {vrm} - no hits.",
    "Enquiries with probation, no current address held.",
    "Attended workplace, subject not present.",
    "Early morning arrest attempt at {addr} - no reply.",
    "Trace/locate: spoke to family, whereabouts unknown.",
    "Phone number checked - no longer in use.",
};

static const char *const notrace[] = {
    "No trace actions completed.",
    "Trace enquiries outstanding.",
    "Wanted remains outstanding.",
    "Trace actions to be allocated.",
    "No further trace/locate enquiries this period.",
};

static const char *const w_review[] = {
    "Wanted review: remains outstanding, trace plan appropriate. Next review "
    "{date}.",
    "Supervisory review of wanted file - continue circulation.",
    "Reviewed. Further address checks to be completed.",
    "{myrank} review: circulation still appropriate and proportionate.",
    "{myrank} review - wanted marker to remain, refer to proactive team.",
    "28 day review completed. Next review {date}.",
    "Reveiw of wanted person - ok to continue.",
};

static const char *const w_review_near[] = {
    "Review due - sent to PS.",
    "Awaiting 28 day review.",
    "Supervisor review overdue.",
};

static const char *const w_close_arrest[] = {
    "Arrested by {ofc} at {addr}, wanted marker cancelled.",
    "Located and arrested following stop check.",
    "Subject handed himself in at {station}. PNC circulation cancelled.",
};

static const char *const w_close_cancel[] = {
    "Circulation cancelled - NFA advised by CPS.",
    "Wanted marker removed, no longer required.",
};

static const char *const b_arrest[] = {
    "Arrested on suspicion of {off}.",
    "DP arrested for {off} and conveyed to {station}.",
    "Arrested at {addr} for {off}.",
};

static const char *const b_bailed_new[] = {
    "Released on pre-charge bail to {bail} at {station}.",
    "Pre-charge bail granted by custody officer, to return {bail}.",
    "Bailed to {bail} - conditions: not to contact IP.",
};

static const char *const b_bailed_old[] = {
    "Pre-charge bail authorised for 28 days, to return {bail}.",
    "I authorise pre-charge bail, return date {bail}.",
    "Bail authorised by {myrank} - return to {station} on {bail}.",
};

static const char *const b_rui[] = {
    "Released under investigation pending forensic results.",
    "RUI - awaiting CPS advice.",
    "DP released under investigation (RUI).",
    "No bail conditions necessary, released under investigation.",
};

static const char *const b_ext_auth[] = {
    "Bail extension authorised to {bail}.",
    "Extension of pre-charge bail to {bail} authorised - investigation "
    "conducted diligently and expeditiously.",
    "I authorise extension of bail to {bail}.",
    "Authorised bail extension - new return date {bail}.",
    "Pre-charge bail extension approved to {bail}.",
};

static const char *const b_ext_noauth[] = {
    "Bail extended to {bail}.",
    "New bail date {bail} - DP informed.",
    "Bail date moved to {bail} pending results.",
};

static const char *const b_ext_req[] = {
    "Extension of bail requested, awaiting decision.",
    "Bail extension request submitted for authorisation.",
    "Request for bail extension sent - no reply yet.",
};

static const char *const b_fta[] = {
    "FTA - DP failed to answer bail at {station}.",
    "Failed to answer bail. s.46A power of arrest.",
    "DP did not attend bail appointment - FTA.",
    "Failed to appear for bail as required.",
};

static const char *const b_fta_circ[] = {
    "Circulated on PNC as wanted for FTA (s.46A).",
    "PNC circulation completed - failing to answer bail.",
    "Wanted marker placed on PNC for FTA.",
    "Circulated as wanted s.46A.",
};

static const char *const b_circ_near[] = {
    "To be circulated on PNC.",
    "PNC circulation not yet done.",
    "Circulation requested from PNC bureau.",
    "Needs circulating - OIC on rest days.",
};

static const char *const b_answer[] = {
    "Answered bail - further interview, charged with {off}.",
    "Answered bail, NFA.",
    "DP answered bail as required, charged.",
    "Answered bail - CPS advice awaited, released.",
};

static const char *const b_fta_arrest[] = {
    "Arrested on s.46A following address check.",
    "Handed himself in at {station} front counter.",
    "Located and arrested for FTA.",
};

static const char *const b_rui_review[] = {
    "RUI review - remains under investigation, awaiting forensics. Next "
    "review {date}.",
    "Supervisory review of RUI case - proportionate, continue.",
    "Reviewed RUI: CPS file submitted.",
    "28 day RUI review completed.",
    "{myrank} reveiw - RUI to continue.",
};

static const char *const b_rui_near[] = {
    "RUI still awaiting results.",
    "RUI review due.",
    "Chased lab for results - no review yet.",
};

static const char *const b_rui_close[] = {
    "NFA - RUI concluded, DP informed by letter.",
    "Charged by postal requisition.",
    "Outcome: no further action, RUI ended.",
};

struct phrase_set {
    const char *const *v;
    size_t n;
    int rankless;
};

#define SET(a, rl)                                                             \
    {                                                                          \
        a, N(a), rl                                                            \
    }
static const struct phrase_set sets[PH__COUNT] = {
    [PH_REPORT_CAD] = SET(report_cad, 1),
    [PH_REPORT_DIRECT] = SET(report_direct, 1),
    [PH_ATTEND] = SET(attend, 0),
    [PH_RECORD] = SET(record, 0),
    [PH_ALLOC] = SET(alloc, 0),
    [PH_ACTION] = SET(action, 0),
    [PH_NOACTION] = SET(noaction, 0),
    [PH_PLAN] = SET(plan, 0),
    [PH_NOPLAN] = SET(noplan, 0),
    [PH_ARREST] = SET(arrest, 0),
    [PH_VA] = SET(va, 0),
    [PH_REVIEW] = SET(review, 0),
    [PH_REVIEW_NEAR] = SET(review_near, 0),
    [PH_REVIEW_NEAR_SUP] = SET(review_near_sup, 0),
    [PH_SELF_REVIEW] = SET(self_review, 0),
    [PH_ENDORSE] = SET(endorse, 0),
    [PH_VUPDATE] = SET(vupdate, 1),
    [PH_VATTEMPT] = SET(vattempt, 1),
    [PH_SCREEN] = SET(screen, 0),
    [PH_FILE] = SET(file, 0),
    [PH_TOLD] = SET(told, 1),
    [PH_TOLD_NEAR] = SET(told_near, 1),
    [PH_OUT_CHARGE] = SET(out_charge, 0),
    [PH_OUT_CR] = SET(out_cr, 0),
    [PH_OUT_15] = SET(out_15, 0),
    [PH_OUT_16] = SET(out_16, 0),
    [PH_OUT_TOLD] = SET(out_told, 1),
    [PH_NOISE] = SET(noise, 1),
    [PH_NOISE_VULN] = SET(noise_vuln, 1),
    [PH_NOISE_VIOL] = SET(noise_viol, 1),
    [PH_W_DECIDE] = SET(w_decide, 0),
    [PH_W_CIRC] = SET(w_circ, 0),
    [PH_TRACE] = SET(trace, 0),
    [PH_NOTRACE] = SET(notrace, 0),
    [PH_W_REVIEW] = SET(w_review, 0),
    [PH_W_REVIEW_NEAR] = SET(w_review_near, 0),
    [PH_W_CLOSE_ARREST] = SET(w_close_arrest, 0),
    [PH_W_CLOSE_CANCEL] = SET(w_close_cancel, 0),
    [PH_B_ARREST] = SET(b_arrest, 0),
    [PH_B_BAILED_NEW] = SET(b_bailed_new, 0),
    [PH_B_BAILED_OLD] = SET(b_bailed_old, 0),
    [PH_B_RUI] = SET(b_rui, 0),
    [PH_B_EXT_AUTH] = SET(b_ext_auth, 0),
    [PH_B_EXT_NOAUTH] = SET(b_ext_noauth, 0),
    [PH_B_EXT_REQ] = SET(b_ext_req, 0),
    [PH_B_FTA] = SET(b_fta, 0),
    [PH_B_FTA_CIRC] = SET(b_fta_circ, 0),
    [PH_B_CIRC_NEAR] = SET(b_circ_near, 0),
    [PH_B_ANSWER] = SET(b_answer, 0),
    [PH_B_FTA_ARREST] = SET(b_fta_arrest, 0),
    [PH_B_RUI_REVIEW] = SET(b_rui_review, 0),
    [PH_B_RUI_NEAR] = SET(b_rui_near, 0),
    [PH_B_RUI_CLOSE] = SET(b_rui_close, 0),
};
#undef SET

size_t phrase_count(enum phrase_class c)
{
    return (unsigned)c < PH__COUNT ? sets[c].n : 0;
}

const char *phrase_get(enum phrase_class c, size_t i)
{
    if ((unsigned)c >= PH__COUNT || i >= sets[c].n)
        return "";
    return sets[c].v[i];
}

const char *phrase_pick(enum phrase_class c, struct rng *r)
{
    return phrase_get(c, (size_t)rng_below(r, phrase_count(c)));
}

int phrase_class_rankless(enum phrase_class c)
{
    return (unsigned)c < PH__COUNT ? sets[c].rankless : 0;
}

/* Misspellings that keep the meaning (an auditor still reads the word). */
static const struct {
    const char *word, *typo;
} typos[] = {
    {"supervisory", "supervisiory"},
    {"review", "reveiw"},
    {"reviewed", "reviewd"},
    {"victim", "vicitm"},
    {"updated", "updtaed"},
    {"enquiries", "enquires"},
    {"investigation", "investigaton"},
    {"circulated", "circualted"},
    {"address", "adress"},
    {"statement", "statment"},
    {"authorised", "authorized"},
    {"arrested", "arested"},
    {"completed", "compelted"},
};

int phrase_typo(struct buf *b, size_t off, struct rng *r)
{
    size_t start = (size_t)rng_below(r, N(typos));
    size_t k;

    for (k = 0; k < N(typos); k++) {
        size_t t = (start + k) % N(typos);
        const char *hit = strstr(b->data + off, typos[t].word);
        size_t wl, tl, pos, tail;

        if (!hit)
            continue;
        wl = strlen(typos[t].word);
        tl = strlen(typos[t].typo);
        pos = (size_t)(hit - b->data);
        tail = b->len - pos - wl;
        if (tl > wl && buf_grow(b, tl - wl) != 0)
            return -1;
        memmove(b->data + pos + tl, b->data + pos + wl, tail + 1);
        memcpy(b->data + pos, typos[t].typo, tl);
        b->len = b->len - wl + tl;
        return 1;
    }
    return 0;
}

const char *const phrase_surnames[] = {
    "Smith",   "Jones",   "Taylor",   "Brown",  "Williams", "Wilson",
    "Johnson", "Davies",  "Robinson", "Wright", "Thompson", "Evans",
    "Walker",  "White",   "Roberts",  "Green",  "Hall",     "Wood",
    "Jackson", "Clarke",  "Patel",    "Khan",   "Lewis",    "Harris",
    "Martin",  "Cooper",  "King",     "Lee",    "Baker",    "Turner",
    "Hill",    "Moore",   "Ward",     "Morris", "Clark",    "Watson",
    "Young",   "Allen",   "Mitchell", "Carter", "Phillips", "Parker",
    "Edwards", "Bennett", "Shaw",     "Cook",   "Price",    "Hughes",
    "Morgan",  "Kelly",   "Begum",    "Ali",    "Singh",    "Murphy",
    "Grey",    "Okafor",  "Nowak",    "Kaur",   "Ahmed",    "Fletcher",
};
const size_t phrase_nsurnames = N(phrase_surnames);

const char *const phrase_streets[] = {
    "Mill Lane",   "Station Road", "Church Street", "Victoria Road",
    "Park Avenue", "High Street",  "Orchard Close", "Kings Road",
    "Meadow Way",  "Quarry Hill",  "Fenwick Drive", "Harbour Walk",
    "Elm Grove",   "Chapel Row",   "Tanners Yard",  "Beacon Rise",
};
const size_t phrase_nstreets = N(phrase_streets);

const char *const phrase_shops[] = {
    "the Co-op",    "Tesco Express", "the petrol station", "the corner shop",
    "the pub",      "the bus depot", "the leisure centre", "the pharmacy",
    "the takeaway", "the car park",
};
const size_t phrase_nshops = N(phrase_shops);
