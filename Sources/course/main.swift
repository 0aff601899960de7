print("course: coming soon")
