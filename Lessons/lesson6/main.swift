print("lesson6: coming soon")
