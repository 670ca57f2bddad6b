package dev.graphgate.emulator.graph.generate;

import java.util.List;

/** The word pools generated data draws from. ASCII only, and no entry ends in a digit (user names end in their index). */
final class Names {

  private Names() {}

  static final List<String> GIVEN = List.of(
      "Adele", "Alex", "Allan", "Amara", "Ana", "Anders", "Aria", "Ben", "Bianca", "Brian", "Camila", "Carlos",
      "Chen", "Chloe", "Christie", "Daniel", "Dara", "Debra", "Diego", "Elena", "Emily", "Enrico", "Erik", "Fatima",
      "Felix", "Grady", "Hana", "Henrietta", "Hiro", "Ines", "Irvin", "Isaiah", "Ivan", "Jana", "Johanna", "Joni",
      "Jonas", "Kai", "Karin", "Lee", "Lena", "Lidia", "Liam", "Lynne", "Malik", "Maria", "Mateo", "Megan", "Miriam",
      "Nadia", "Nestor", "Nia", "Noah", "Olga", "Omar", "Patti", "Pavel", "Pradeep", "Priya", "Rafael", "Rosa",
      "Sakura", "Samir", "Sara", "Sofia", "Stefan", "Tariq", "Tomas", "Una", "Valentina", "Wei", "Yara", "Yusuf",
      "Zoe", "Zanele", "Ingrid", "Kofi", "Lucia", "Mohammed", "Niamh");

  static final List<String> SURNAMES = List.of(
      "Vance", "Wilber", "Deyoung", "Okafor", "Silva", "Lindqvist", "Rossi", "Carter", "Moreau", "Johnson", "Mendez",
      "Wang", "Dubois", "Celeste", "Meyer", "Osei", "Zrinski", "Garcia", "Petrova", "Bianchi", "Hansen", "Larsen",
      "Khan", "Nakamura", "Holt", "Muller", "Sanchez", "Muthoni", "Tanaka", "Andersson", "Kowalski", "Novak",
      "Fernandez", "Bowen", "Gray", "Patel", "Sharma", "Nguyen", "Kim", "Park", "Ivanova", "Rahman", "Haddad",
      "Schmidt", "Costa", "Ferreira", "OBrien", "Murphy", "Walsh", "Brennan", "Dlamini", "Mensah", "Adeyemi",
      "Yilmaz", "Demir", "Cohen", "Levi", "Jensen", "Nielsen", "Virtanen", "Korhonen", "Horvat", "Popescu",
      "Lopez", "Martin", "Bernard", "Thomas", "Richard", "Petit", "Durand", "Leroy", "Fischer", "Weber", "Wagner");

  static final List<String> DEPARTMENTS = List.of(
      "Sales", "Marketing", "Engineering", "Finance", "Human Resources", "Legal", "Operations", "Research",
      "Support", "Product", "Retail", "Executive Management");

  static final List<String> JOB_TITLES = List.of(
      "Account Manager", "Marketing Specialist", "Software Engineer", "Senior Software Engineer", "Accountant",
      "HR Generalist", "Paralegal", "Operations Analyst", "Research Scientist", "Support Engineer", "Product Manager",
      "Store Manager", "Director", "Vice President", "Designer", "Data Analyst", "Program Manager", "Consultant",
      "Team Lead", "Intern");

  static final List<String> CITIES = List.of(
      "Seattle", "Redmond", "New York", "London", "Dublin", "Paris", "Berlin", "Madrid", "Lisbon", "Amsterdam",
      "Stockholm", "Oslo", "Warsaw", "Tokyo", "Sydney", "Toronto", "Sao Paulo", "Nairobi", "Lagos", "Bangalore");

  static final List<String> COUNTRIES = List.of(
      "United States", "United States", "United States", "United Kingdom", "Ireland", "France", "Germany", "Spain",
      "Portugal", "Netherlands", "Sweden", "Norway", "Poland", "Japan", "Australia", "Canada", "Brazil", "Kenya",
      "Nigeria", "India");

  static final List<String> USAGE_LOCATIONS = List.of(
      "US", "US", "US", "GB", "IE", "FR", "DE", "ES", "PT", "NL", "SE", "NO", "PL", "JP", "AU", "CA", "BR", "KE",
      "NG", "IN");

  static final List<String> GROUP_KINDS = List.of(
      "Team", "Project", "Committee", "Guild", "Working Group", "Leads", "All Hands", "Champions");

  static final List<String> TOPICS = List.of(
      "quarterly review", "budget", "roadmap", "hiring plan", "customer escalation", "release notes", "offsite",
      "security review", "travel policy", "launch checklist", "design review", "partner update", "onboarding",
      "expense report", "contract renewal", "sprint planning", "retrospective", "board deck", "pricing",
      "vendor proposal", "training", "all hands", "status report", "migration plan", "incident review");

  static final List<String> SUBJECT_PREFIXES = List.of(
      "", "", "", "RE: ", "FW: ", "Action needed: ", "Reminder: ", "Draft: ", "Update on ", "Question about ");

  static final List<String> SENTENCES = List.of(
      "Please find the latest numbers attached.", "Can we move this to next week?",
      "I have added my comments inline.", "Let me know if anything is missing.",
      "The team agreed on the proposal yesterday.", "We need a decision by Friday.",
      "Thanks for the quick turnaround.", "I will follow up with the customer.",
      "The figures look better than last quarter.", "Could you review the draft before the meeting?",
      "Legal has signed off on the changes.", "Here is the summary from this morning.",
      "We are still waiting on the vendor.", "I booked the large meeting room.",
      "Happy to discuss on a call.", "The deadline has moved by two days.");

  static final List<String> LOCATIONS = List.of(
      "Conference Room Adams", "Conference Room Baker", "Building 4 / 2012", "Microsoft Teams Meeting",
      "Cafeteria", "Room 101", "Main Auditorium", "Huddle Room 3");

  static final List<String> FOLDER_NAMES = List.of(
      "Projects", "Reports", "Contracts", "Invoices", "Presentations", "Designs", "Archive", "Shared", "Templates",
      "Research");

  static final List<String> FILE_STEMS = List.of(
      "budget", "roadmap", "minutes", "proposal", "report", "notes", "plan", "summary", "invoice", "contract",
      "deck", "diagram", "checklist", "forecast", "survey");

  static final List<String> FILE_TYPES = List.of(
      ".docx", ".xlsx", ".pptx", ".pdf", ".txt", ".csv", ".png", ".md");

  static final List<String> SITE_NAMES = List.of(
      "Marketing", "Engineering", "Sales", "Finance", "HR", "Legal", "Operations", "Research", "Support",
      "Product", "Design", "Leadership", "Communications", "Facilities", "Partners");
}
